#!/usr/bin/env node
import { launch } from './launch.js';
await launch('../dist/raft/server/main.js', import.meta.url);
