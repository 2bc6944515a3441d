import { lazy, Suspense } from 'react';
import { WalletButton } from './components/WalletButton.tsx';
import { OffersPage } from './pages/OffersPage.tsx';
import { PlazaPage } from './pages/PlazaPage.tsx';
import { StatusPage } from './pages/StatusPage.tsx';
import { hrefOf, type Route, useRoute } from './router.ts';

// The job page carries the chart library: loaded when it is opened, so PLAZA's first load stays small.
const JobPage = lazy(() => import('./pages/JobPage.tsx'));
// The dashboards and the Explorer (viem for the wallet's claim, uPlot for the earnings chart): loaded when opened.
const DashboardPage = lazy(() => import('./dashboards/DashboardPage.tsx'));
const ExplorerPage = lazy(() => import('./explorer/ExplorerPage.tsx'));
// The job wizard (viem's wallet calls): loaded when opened.
const WizardPage = lazy(() => import('./wizard/WizardPage.tsx'));
// An asset's page (the preview's proof checks, the wallet's purchase): loaded when opened.
const AssetPage = lazy(() => import('./plaza/AssetPage.tsx'));

const NAV: Array<{ route: Route; label: string }> = [
  { route: { page: 'plaza' }, label: 'PLAZA' },
  { route: { page: 'offers' }, label: 'GPU offers' },
  { route: { page: 'job', jobId: undefined }, label: 'Jobs' },
  { route: { page: 'wizard' }, label: 'New job' },
  { route: { page: 'dashboard', address: undefined }, label: 'Dashboard' },
  { route: { page: 'explorer', view: undefined, id: undefined }, label: 'Explorer' },
  { route: { page: 'node' }, label: 'Node' },
];

export function App() {
  const route = useRoute();
  return (
    <>
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="top">
        <a className="brand" href="#/plaza" aria-label="AIC PLAZA home">
          AIC
        </a>
        <nav aria-label="Main">
          <ul>
            {NAV.map(({ route: target, label }) => (
              <li key={label}>
                <a href={hrefOf(target)} aria-current={target.page === route.page ? 'page' : undefined}>
                  {label}
                </a>
              </li>
            ))}
          </ul>
        </nav>
        <WalletButton />
      </header>
      <main id="main" tabIndex={-1}>
        <Page route={route} />
      </main>
    </>
  );
}

function Page({ route }: { route: Route }) {
  switch (route.page) {
    case 'plaza':
      return <PlazaPage />;
    case 'offers':
      return <OffersPage />;
    case 'job':
      return (
        <Suspense fallback={<p className="muted">Loading the job page…</p>}>
          <JobPage jobId={route.jobId} />
        </Suspense>
      );
    case 'wizard':
      return (
        <Suspense fallback={<p className="muted">Loading the job wizard…</p>}>
          <WizardPage />
        </Suspense>
      );
    case 'dashboard':
      return (
        <Suspense fallback={<p className="muted">Loading the dashboard…</p>}>
          <DashboardPage address={route.address} />
        </Suspense>
      );
    case 'explorer':
      return (
        <Suspense fallback={<p className="muted">Loading the Explorer…</p>}>
          <ExplorerPage view={route.view} id={route.id} />
        </Suspense>
      );
    case 'asset':
      return (
        <Suspense fallback={<p className="muted">Loading the asset…</p>}>
          <AssetPage id={route.id} />
        </Suspense>
      );
    case 'node':
      return <StatusPage />;
    case 'missing':
      return (
        <section>
          <h1>Not found</h1>
          <p>
            There is no page <code>{route.path}</code>. Go to <a href="#/plaza">PLAZA</a>.
          </p>
        </section>
      );
  }
}
