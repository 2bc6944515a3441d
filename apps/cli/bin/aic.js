#!/usr/bin/env node
// The installed `aic` command. The sources are TypeScript run through tsx (no build step, see README).
import { register } from 'tsx/esm/api';

register();
await import('../src/main.ts');
