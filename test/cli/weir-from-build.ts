/**
 * Runs the weir CLI from the build this file was compiled into (dist/ or a private build directory),
 * so that process-level tests exercise the commands of that build: `node <build>/test/cli/weir-from-build.js
 * ARGS`. bin/run.js would read dist/ and the root's oclif.manifest.json, which list the commands of the
 * last full build; here the commands are found by scanning <build>/commands instead.
 */
import {execute} from '@oclif/core'
import {readFileSync} from 'node:fs'
import {dirname, join, resolve} from 'node:path'
import {fileURLToPath} from 'node:url'

const buildRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..')
const packageJson = JSON.parse(readFileSync(join(buildRoot, '..', 'package.json'), 'utf8'))
await execute({loadOptions: {root: buildRoot, pjson: {...packageJson, oclif: {...packageJson.oclif, commands: './commands'}}}})
