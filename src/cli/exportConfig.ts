// npm run export-config -- --to trl|verl [--<config key> <value> …]
// Prints the settings as a TRL GRPOConfig (Python) or a verl override (YAML); `--to table` prints the
// README's mapping table. Bad input: one line on stderr, exit code 2.
import { Command, Option } from 'commander';
import { defaultConfig } from '../core/config';
import { exportConfig, markdownTable, TARGETS } from '../core/export/exportConfig';
import { parseOrExit } from './node';
import { addConfigOptions, configFromOptions } from './options';

const cmd = addConfigOptions(
  new Command('export-config').description('Print the settings as a TRL GRPOConfig (Python) or a verl override (YAML), with comments where a setting has no counterpart'),
).addOption(new Option('--to <target>', 'trl (Python), verl (YAML), or table (the README mapping table)').choices([...TARGETS, 'table']).makeOptionMandatory());

parseOrExit(cmd);
const { to } = cmd.opts<{ to: 'trl' | 'verl' | 'table' }>();
const config = configFromOptions(cmd.opts(), defaultConfig());
process.stdout.write(to === 'table' ? markdownTable() + '\n' : exportConfig(config, to));
