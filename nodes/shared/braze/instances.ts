export interface BrazeRestInstance {
	id: string;
	dashboard: string;
	restEndpoint: string;
}

/** Braze's REST instances, as listed at braze.com/docs/api/basics/#endpoints (there is no US-09). */
export const BRAZE_REST_INSTANCES: readonly BrazeRestInstance[] = [
	{ id: 'US-01', dashboard: 'dashboard-01.braze.com', restEndpoint: 'https://rest.iad-01.braze.com' },
	{ id: 'US-02', dashboard: 'dashboard-02.braze.com', restEndpoint: 'https://rest.iad-02.braze.com' },
	{ id: 'US-03', dashboard: 'dashboard-03.braze.com', restEndpoint: 'https://rest.iad-03.braze.com' },
	{ id: 'US-04', dashboard: 'dashboard-04.braze.com', restEndpoint: 'https://rest.iad-04.braze.com' },
	{ id: 'US-05', dashboard: 'dashboard-05.braze.com', restEndpoint: 'https://rest.iad-05.braze.com' },
	{ id: 'US-06', dashboard: 'dashboard-06.braze.com', restEndpoint: 'https://rest.iad-06.braze.com' },
	{ id: 'US-07', dashboard: 'dashboard-07.braze.com', restEndpoint: 'https://rest.iad-07.braze.com' },
	{ id: 'US-08', dashboard: 'dashboard-08.braze.com', restEndpoint: 'https://rest.iad-08.braze.com' },
	{ id: 'US-10', dashboard: 'dashboard.us-10.braze.com', restEndpoint: 'https://rest.us-10.braze.com' },
	{ id: 'EU-01', dashboard: 'dashboard-01.braze.eu', restEndpoint: 'https://rest.fra-01.braze.eu' },
	{ id: 'EU-02', dashboard: 'dashboard-02.braze.eu', restEndpoint: 'https://rest.fra-02.braze.eu' },
	{ id: 'AU-01', dashboard: 'dashboard.au-01.braze.com', restEndpoint: 'https://rest.au-01.braze.com' },
	{ id: 'ID-01', dashboard: 'dashboard.id-01.braze.com', restEndpoint: 'https://rest.id-01.braze.com' },
	{ id: 'JP-01', dashboard: 'dashboard.jp-01.braze.com', restEndpoint: 'https://rest.jp-01.braze.com' },
	{ id: 'KR-01', dashboard: 'dashboard.kr-01.braze.com', restEndpoint: 'https://rest.kr-01.braze.com' },
];

/** The base URL the credential points at, without a trailing slash. */
export function brazeBaseUrl(credentials: { instance?: unknown; customUrl?: unknown }): string {
	const base = credentials.instance === 'custom' ? String(credentials.customUrl ?? '') : String(credentials.instance ?? '');
	return base.trim().replace(/\/+$/, '');
}
