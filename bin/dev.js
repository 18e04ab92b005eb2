#!/usr/bin/env node
// Development entry: rebuilds nothing, but runs with oclif's development settings
// (stack traces on errors, no manifest cache). Build first with `npm run build`.
import {execute} from '@oclif/core'

await execute({development: true, dir: import.meta.url})
