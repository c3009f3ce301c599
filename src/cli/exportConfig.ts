// npm run export-config -- --to trl|verl [--<config key> <value> …]
// Prints the settings as a TRL GRPOConfig (Python) or a verl override (YAML); `--to table` prints the
// README's mapping table. Bad input: one line on stderr, exit code 2.
import { defaultConfig } from '../core/config';
import { exportConfig, markdownTable } from '../core/export/exportConfig';
import { exportConfigCommand } from './commands';
import { parseOrExit } from './node';
import { configFromOptions } from './options';

const cmd = exportConfigCommand();

parseOrExit(cmd);
const { to } = cmd.opts<{ to: 'trl' | 'verl' | 'table' }>();
const config = configFromOptions(cmd.opts(), defaultConfig());
process.stdout.write(to === 'table' ? markdownTable() + '\n' : exportConfig(config, to));
