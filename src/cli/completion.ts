/**
 * Shell completion, generated from the command tree itself so it never falls behind it: the
 * commands, each one's long options, and the global options. bash and zsh (through bashcompinit)
 * share one function; fish gets its own `complete` lines.
 */
import type { Command } from 'commander';

export const SHELLS = ['bash', 'zsh', 'fish'] as const;
export type Shell = (typeof SHELLS)[number];

export interface CompletionTree {
  name: string;
  /** Options of the program itself, such as --workspace. */
  global: OptionInfo[];
  commands: { name: string; description: string; options: OptionInfo[] }[];
}

export interface OptionInfo {
  flag: string;
  description: string;
  /** Whether a value follows it (`--days <n>`), which is then not a command name. */
  takesValue: boolean;
}

const optionsOf = (cmd: Command): OptionInfo[] =>
  cmd.options
    .filter((o) => o.long !== undefined)
    .map((o) => ({ flag: o.long!, description: o.description, takesValue: o.required || o.optional }));

export function completionTree(program: Command): CompletionTree {
  return {
    name: program.name(),
    global: optionsOf(program),
    commands: program.commands.map((c) => ({
      name: c.name(),
      description: c.description(),
      options: optionsOf(c),
    })),
  };
}

const quoteFish = (s: string) => `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;

function bash(t: CompletionTree, zsh: boolean): string {
  const fn = `_${t.name.replace(/\W/g, '_')}`;
  const valued = [...t.global, ...t.commands.flatMap((c) => c.options)]
    .filter((o) => o.takesValue)
    .map((o) => o.flag);
  const cases = t.commands.map(
    (c) => `    ${c.name}) words="${c.options.map((o) => o.flag).join(' ')} --help" ;;`,
  );
  return [
    ...(zsh ? ['autoload -U +X bashcompinit && bashcompinit'] : []),
    `${fn}() {`,
    '  local cur="${COMP_WORDS[COMP_CWORD]}" prev="${COMP_WORDS[COMP_CWORD-1]}" cmd="" words i',
    // An option's value is the shell's to complete (a path, a number): `-o default` then offers files.
    `  case " ${valued.join(' ')} " in *" $prev "*) COMPREPLY=(); return ;; esac`,
    '  for ((i = 1; i < COMP_CWORD; i++)); do',
    '    prev="${COMP_WORDS[i-1]}"',
    '    case "${COMP_WORDS[i]}" in',
    '      -*) ;;',
    `      *) case " ${valued.join(' ')} " in *" $prev "*) ;; *) cmd="\${COMP_WORDS[i]}"; break ;; esac ;;`,
    '    esac',
    '  done',
    '  case "$cmd" in',
    ...cases,
    `    *) words="${t.commands.map((c) => c.name).join(' ')} ${t.global.map((o) => o.flag).join(' ')} --help --version" ;;`,
    '  esac',
    '  COMPREPLY=($(compgen -W "$words" -- "$cur"))',
    '}',
    `complete -o default -F ${fn} ${t.name}`,
    '',
  ].join('\n');
}

function fish(t: CompletionTree): string {
  const lines = [`complete -c ${t.name} -f`];
  for (const o of t.global)
    lines.push(
      `complete -c ${t.name} -l ${o.flag.slice(2)}${o.takesValue ? ' -r' : ''} -d ${quoteFish(o.description)}`,
    );
  for (const c of t.commands) {
    lines.push(`complete -c ${t.name} -n __fish_use_subcommand -a ${c.name} -d ${quoteFish(c.description)}`);
    for (const o of c.options)
      lines.push(
        `complete -c ${t.name} -n '__fish_seen_subcommand_from ${c.name}' -l ${o.flag.slice(2)}${o.takesValue ? ' -r' : ''} -d ${quoteFish(o.description)}`,
      );
  }
  return `${lines.join('\n')}\n`;
}

export function completionScript(shell: Shell, tree: CompletionTree): string {
  return shell === 'fish' ? fish(tree) : bash(tree, shell === 'zsh');
}

export function registerCompletionCommand(program: Command): void {
  program
    .command('completion')
    .description('print shell completion: eval "$(fast-intercom-mcp completion bash)" (or zsh, fish)')
    .argument('<shell>', `one of ${SHELLS.join(', ')}`)
    .action((shell: string) => {
      if (!(SHELLS as readonly string[]).includes(shell))
        program.error(`error: the shell must be one of ${SHELLS.join(', ')}, got '${shell}'`, {
          exitCode: 2,
        });
      process.stdout.write(completionScript(shell as Shell, completionTree(program)));
    });
}
