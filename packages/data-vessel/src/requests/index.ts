export { type UnmetRequirement, unmetRequirements } from './match.ts';
export {
  canonicalJson,
  type DataRequirement,
  dataRequirementSchema,
  parseDataRequirement,
  requirementSpecHash,
} from './requirement.ts';
