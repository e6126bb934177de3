#!/usr/bin/env node
import { launch } from './launch.js';
await launch('../dist/harness/cli/main.js', import.meta.url);
