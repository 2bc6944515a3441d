// The multi-task switching route (switching-handlers.ts), spread into apiRoutes.
import type { RouteDef } from '../api/routes.ts';
import { switchingStatusSchema } from './switching-schemas.ts';

export const switchingRoutes = {
  providerSwitching: {
    method: 'GET',
    path: '/v1/provider/switching',
    summary:
      "Multi-task switching: this GPU Vessel's mode (AI job, mining, owner's use, idle), time and earnings per mode, the miner's state",
    successStatus: 200,
    response: switchingStatusSchema,
  },
} as const satisfies Record<string, RouteDef>;
