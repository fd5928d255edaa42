// The process entry point: `tsx src/main.ts all|web|worker`. Reads the configuration, starts the parts
// this role runs, and shuts them down cleanly on SIGINT/SIGTERM (or after a crash).
import { ConfigError, loadConfig, type Config, type Role } from './config.ts';
import { createLogger } from './lib/logger.ts';
import { startServer, type Running } from './server.ts';

const roles: Role[] = ['all', 'web', 'worker'];
const role = (process.argv[2] ?? 'all') as Role;
if (!roles.includes(role)) {
  console.error(`Unknown role "${process.argv[2]}": use one of ${roles.join(', ')}.`);
  process.exit(2);
}

let config: Config;
try {
  config = loadConfig();
} catch (err) {
  if (err instanceof ConfigError) {
    console.error(err.message);
    process.exit(1);
  }
  throw err;
}

const logger = createLogger(config.logLevel);
let running: Running | undefined;
let stopping = false;

async function shutdown(reason: string, code: number): Promise<never> {
  if (stopping) process.exit(code);
  stopping = true;
  logger.info({ reason }, 'shutting down');
  const force = setTimeout(() => {
    logger.error('shutdown took too long; exiting');
    process.exit(1);
  }, config.shutdownTimeoutMs + 10000);
  force.unref();
  try {
    await running?.stop();
  } catch (err) {
    logger.error({ err }, 'error during shutdown');
    code = code || 1;
  }
  // Exit explicitly: agenda leaves lock-renewal timers behind that would keep the process alive.
  process.exit(code);
}

process.on('SIGINT', () => void shutdown('SIGINT', 0));
process.on('SIGTERM', () => void shutdown('SIGTERM', 0));
process.on('uncaughtException', (err) => {
  logger.fatal({ err }, 'uncaught exception');
  void shutdown('uncaught exception', 1);
});
process.on('unhandledRejection', (err) => {
  logger.fatal({ err }, 'unhandled promise rejection');
  void shutdown('unhandled rejection', 1);
});

try {
  running = await startServer(config, logger, role);
} catch (err) {
  logger.fatal({ err }, (err as Error).message);
  process.exit(1);
}
