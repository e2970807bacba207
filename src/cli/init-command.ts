/** `fast-intercom-mcp init`: checks the token against Intercom, writes config.json (0600), creates the database. */
import { asInvoked } from '../wording.js';
import type { Command } from 'commander';
import { ConfigError, writeFileConfig } from '../config/settings.js';
import { REGION_BASE_URLS, type Region } from '../config/regions.js';
import { storeLocation } from '../store/open.js';
import { contextFrom, createApi, guarded, openStore } from './context.js';
import { secretFromFlags } from './secret-flags.js';

export function registerInitCommand(program: Command): void {
  program
    .command('init')
    .description('verify the Intercom token, save the configuration and create the local database')
    .option(
      '--token-file <file>',
      'read the Intercom access token from FILE (- for standard input); saved to config.json with mode 0600',
    )
    .option('--token <token>', 'the token itself (visible in ps: prefer --token-file)')
    .option('--region <region>', 'Intercom region: us, eu or au')
    .option('--api-url <url>', 'Intercom API base URL (overrides the region; the emulator in tests)')
    .option('--days <n>', 'days of history the first background sync fetches (initial_sync_days)')
    .action(
      guarded(
        async (
          opts: { token?: string; tokenFile?: string; region?: string; apiUrl?: string; days?: string },
          cmd: Command,
        ) => {
          const ctx = contextFrom(cmd);
          const given = secretFromFlags(opts.token, opts.tokenFile, '--token');
          ctx.logger.addSecret(given);
          const region = opts.region?.toLowerCase();
          if (region && !(region in REGION_BASE_URLS))
            throw new ConfigError(`--region must be us, eu or au, got '${opts.region}'`);
          const token = given ?? ctx.settings.token;
          if (opts.apiUrl) ctx.settings.baseUrl = opts.apiUrl;
          else if (region) ctx.settings.baseUrl = REGION_BASE_URLS[region as Region];
          const api = createApi(ctx, token ?? undefined);
          const me = await api.me();
          const days = opts.days === undefined ? ctx.settings.file.initial_sync_days : Number(opts.days);
          if (!Number.isInteger(days) || days < 1)
            throw new ConfigError(`--days must be a whole number of days, got '${opts.days}'`);
          writeFileConfig(ctx.settings.paths, {
            ...ctx.settings.file,
            ...(given ? { access_token: given } : {}),
            ...(region ? { region: region as Region } : {}),
            ...(opts.apiUrl ? { api_base_url: opts.apiUrl } : {}),
            initial_sync_days: days,
            ...(me.app?.name ? { workspace_name: me.app.name } : {}),
          });
          await (await openStore(ctx)).close();
          ctx.logger.info(`init: workspace ${me.app?.name ?? '?'} at ${ctx.settings.paths.dir}`);
          const where = me.app?.region ? `, region ${me.app.region}` : '';
          console.log(
            `Connected to workspace '${me.app?.name ?? 'unknown'}' (${me.app?.id_code ?? '?'}${where}) as ${me.name ?? me.id}`,
          );
          console.log(
            `Configuration: ${ctx.settings.paths.configFile}${given ? ' (token saved, mode 0600)' : ''}`,
          );
          console.log(`Database:      ${storeLocation(ctx.settings.store).description}`);
          if (!given && ctx.settings.token) console.log('Token read from INTERCOM_ACCESS_TOKEN (not saved).');
          console.log(asInvoked('Next: `fast-intercom-mcp sync`', ctx.invocation));
        },
      ),
    );
}
