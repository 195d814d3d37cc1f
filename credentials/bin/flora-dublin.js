#!/usr/bin/env node
// Launcher: the package has no build step, so register tsx's loader and run the TypeScript CLI.
import { register } from 'tsx/esm/api'

register()
await import('./flora-dublin-main.ts')
