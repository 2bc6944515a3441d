import { useEffect, useState } from 'react';

/**
 * Hash routes (`#/plaza`, `#/offers`, `#/job/0x…`, `#/node`): the node serves one index.html at `/` and knows no
 * client paths, and a reload or a shared link lands on the same page.
 */
export type Route =
  | { page: 'plaza' }
  | { page: 'offers' }
  | { page: 'job'; jobId: string | undefined }
  | { page: 'wizard' }
  | { page: 'asset'; id: string }
  | { page: 'node' }
  | { page: 'dashboard'; address: string | undefined }
  | { page: 'explorer'; view: ExplorerRouteView | undefined; id: string | undefined }
  | { page: 'missing'; path: string };

export function parseRoute(hash: string): Route {
  const path = hash.replace(/^#\/?/, '');
  const [first = '', second] = path.split('/');
  switch (first) {
    case '':
    case 'plaza':
      return { page: 'plaza' };
    case 'offers':
      return { page: 'offers' };
    case 'jobs':
      if (second === 'new') return { page: 'wizard' };
      return { page: 'missing', path };
    case 'job':
      return { page: 'job', jobId: second === undefined || second === '' ? undefined : decodeURIComponent(second) };
    case 'asset':
      return second !== undefined && /^[1-9][0-9]{0,9}$/.test(second)
        ? { page: 'asset', id: second }
        : { page: 'missing', path };
    case 'node':
      return { page: 'node' };
    case 'dashboard':
      return {
        page: 'dashboard',
        address: second === undefined || second === '' ? undefined : decodeURIComponent(second),
      };
    case 'explorer':
      return explorerRoute(path);
    default:
      return { page: 'missing', path };
  }
}

export function hrefOf(route: Route): string {
  switch (route.page) {
    case 'job':
      return route.jobId === undefined ? '#/job' : `#/job/${encodeURIComponent(route.jobId)}`;
    case 'wizard':
      return '#/jobs/new';
    case 'asset':
      return `#/asset/${route.id}`;
    case 'dashboard':
      return route.address === undefined ? '#/dashboard' : `#/dashboard/${encodeURIComponent(route.address)}`;
    case 'explorer':
      return route.view === undefined
        ? '#/explorer'
        : `#/explorer/${route.view}${route.id === undefined ? '' : `/${encodeURIComponent(route.id)}`}`;
    case 'missing':
      return '#/plaza';
    default:
      return `#/${route.page}`;
  }
}

/** Explorer views: `#/explorer/<view>/<id>` (block number, tx hash, job id, address, asset id) and `#/explorer/epochs`. */
export type ExplorerRouteView = 'block' | 'tx' | 'job' | 'account' | 'asset' | 'epochs';
const EXPLORER_ROUTE_VIEWS: readonly string[] = ['block', 'tx', 'job', 'account', 'asset', 'epochs'];

function explorerRoute(path: string): Route {
  const [, view, id] = path.split('/');
  if (view === undefined || view === '') return { page: 'explorer', view: undefined, id: undefined };
  if (!EXPLORER_ROUTE_VIEWS.includes(view)) return { page: 'missing', path };
  return {
    page: 'explorer',
    view: view as ExplorerRouteView,
    id: id === undefined || id === '' ? undefined : decodeURIComponent(id),
  };
}

export function useRoute(): Route {
  const [route, setRoute] = useState(() => parseRoute(window.location.hash));
  useEffect(() => {
    const onChange = () => setRoute(parseRoute(window.location.hash));
    window.addEventListener('hashchange', onChange);
    return () => window.removeEventListener('hashchange', onChange);
  }, []);
  return route;
}
