/** The web client as the node serves it: the static build at `/` and the read routes only the web client uses. */

export {
  ASSET_KINDS,
  type AssetKindName,
  PLAZA_PAGE_MAX,
  type PlazaAsset,
  type PlazaAssets,
  type PlazaAssetsQuery,
  plazaAssetSchema,
  plazaAssetsQuerySchema,
  plazaAssetsSchema,
} from '../api/plaza-schemas.ts';
export { readPlazaAssets } from './plaza-assets.ts';
export { defaultWebDistDir, registerWebClient, WEB_CSP } from './web-client.ts';
