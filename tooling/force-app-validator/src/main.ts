// Entry point of the force-app-validate command (see cli.ts).
import { main } from './cli.js';

process.exitCode = await main(process.argv.slice(2));
