import type { Command } from 'commander';
import { issueDevToken } from '../../gateway/auth/index.js';
import { processIo, type CommandIo } from './policy.js';

interface TokenOptions {
  persona: string;
  dataDir: string;
  ttl: string;
  issuer: string;
  audience: string;
  personas: string;
}

/** Adds `token --persona NAME` to the CLI: prints a development token signed with the key in `<data-dir>/keys/`. */
export function registerTokenCommand(program: Command, deps: Partial<CommandIo> = {}): Command {
  const io: CommandIo = { ...processIo, ...deps };
  return program
    .command('token')
    .description('Print a development JWT for a persona of policies/personas.json, signed with the development key')
    .requiredOption('--persona <name>', 'persona whose claims the token carries')
    .option('--data-dir <dir>', 'data folder holding keys/dev-signing-key.json (generated on first use)', 'data')
    .option('--ttl <seconds>', 'token lifetime in seconds', '3600')
    .option('--issuer <iss>', 'issuer ("iss") the gateway expects', 'meshgate-dev')
    .option('--audience <aud>', 'audience ("aud") the gateway expects', 'meshgate')
    .option('--personas <file>', 'personas file', 'policies/personas.json')
    .action(async (options: TokenOptions) => {
      try {
        const ttlSeconds = parseTtl(options.ttl);
        const token = await issueDevToken(options.persona, {
          dataDir: options.dataDir,
          issuer: options.issuer,
          audience: options.audience,
          ttlSeconds,
          personasFile: options.personas,
        });
        io.out(token);
      } catch (error) {
        io.err(`error: ${(error as Error).message}`);
        io.setExitCode(1);
      }
    });
}

function parseTtl(text: string): number {
  const ttl = Number(text);
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(ttl) || ttl < 1) throw new Error(`--ttl must be a positive whole number of seconds; found "${text}"`);
  return ttl;
}
