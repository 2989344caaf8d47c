import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { AppError } from '../shared/errors';
import { resolveConfig } from '../simulator/config';
import { type Simulator, startSimulator } from '../simulator/server';

export interface SimCliOptions {
  port: string;
  config?: string;
  clientId?: string;
  clientSecret?: string;
  persist?: string;
}

export async function runSimulatorFromCli(options: SimCliOptions): Promise<Simulator> {
  const port = Number(options.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new AppError('INVALID_INPUT', { option: '--port' });
  let fileConfig: unknown = {};
  if (options.config) {
    try {
      fileConfig = JSON.parse(readFileSync(options.config, 'utf8'));
    } catch {
      throw new AppError('SIM_CONFIG_INVALID', { detail: options.config });
    }
  }
  const overrides = {
    ...(options.clientId ? { clientId: options.clientId } : {}),
    ...(options.clientSecret ? { clientSecret: options.clientSecret } : {}),
  };
  let config: unknown;
  try {
    config = resolveConfig(resolveConfig(undefined, fileConfig), overrides);
  } catch (error) {
    throw new AppError('SIM_CONFIG_INVALID', { detail: error instanceof z.ZodError ? z.prettifyError(error).slice(0, 400) : 'config' });
  }
  try {
    return await startSimulator({ port, config, persistFile: options.persist });
  } catch (error) {
    if ((error as { code?: string }).code === 'EADDRINUSE') throw new AppError('SIM_PORT_IN_USE', { port });
    throw error;
  }
}

export function waitForStopSignal(): Promise<void> {
  return new Promise((resolve) => {
    const stop = () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}
