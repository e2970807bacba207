/** Where each of Intercom's regions serves its REST API: what `init --region` and the settings choose from. */
export const REGION_BASE_URLS = {
  us: 'https://api.intercom.io',
  eu: 'https://api.eu.intercom.io',
  au: 'https://api.au.intercom.io',
} as const;
export type Region = keyof typeof REGION_BASE_URLS;
