import { shortHex } from '../format.ts';
import { explorerHref } from './search-input.ts';

export function AccountLink({ address, full = false }: { address: string; full?: boolean }) {
  return (
    <a href={explorerHref('account', address)}>
      <code className={full ? 'wrap' : undefined} title={address}>
        {full ? address : shortHex(address, 4)}
      </code>
    </a>
  );
}

export function Scroll({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable region needs focus (WCAG 2.1.1)
    <section className="table-scroll" aria-label={label} tabIndex={0}>
      {children}
    </section>
  );
}
