import 'reflect-metadata';
import 'dotenv/config';
import { describeCliError, runTokenCli } from '../src/tokens/token-cli.js';

/** `npm run token:create -- --role admin --label ops`: a stored token, printed once. */
runTokenCli(process.argv.slice(2), process.env, (line) => console.log(line)).then(
  () => process.exit(0),
  (err) => {
    console.error(describeCliError(err));
    process.exit(1);
  },
);
