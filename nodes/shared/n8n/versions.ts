/** Node parameters for some type versions only: n8n's way to change a parameter and still read old workflows. */
import type { INodeProperties } from 'n8n-workflow';

export function onlyInVersions(versions: number[], properties: INodeProperties[]): INodeProperties[] {
	return properties.map((property) => ({
		...property,
		displayOptions: {
			...property.displayOptions,
			show: { ...property.displayOptions?.show, '@version': versions },
		},
	}));
}
