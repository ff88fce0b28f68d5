/** The names errors give the Liquid fields: the labels users see in the editor. */
export const URL_FIELD = 'Webhook URL';
export const RAW_BODY_FIELD = 'Raw Body';
export const headerField = (name: string) => `Header "${name}"`;
export const bodyPairField = (key: string) => `Body pair "${key}"`;
