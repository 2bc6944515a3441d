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
  | { page: 'node' }
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
    case 'node':
      return { page: 'node' };
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
    case 'missing':
      return '#/plaza';
    default:
      return `#/${route.page}`;
  }
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
