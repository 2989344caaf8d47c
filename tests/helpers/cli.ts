import { runCli } from '../../main/cli/program';

/** Runs the command line in this process and captures what it prints (Japanese unless `env` says otherwise). */
export async function cli(args: string[], env: NodeJS.ProcessEnv = {}) {
  let stdout = '';
  let stderr = '';
  const code = await runCli(args, {
    stdout: (text: string) => {
      stdout += text;
    },
    stderr: (text: string) => {
      stderr += text;
    },
    env: { LANG: 'ja_JP.UTF-8', ...env },
  });
  return { code, stdout, stderr };
}
