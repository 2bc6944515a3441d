export { type HoldingsAnnouncer, type HoldingsAnnouncerInit, startHoldingsAnnouncer } from './holdings-announcer.ts';
export {
  type Holder,
  type HolderCoordinate,
  type Holding,
  type HoldingKind,
  type HoldingRole,
  HoldingsBook,
} from './holdings-book.ts';
export { holdingsLocality } from './holdings-locality.ts';
