// n8n-core writes its instance settings (encryption key) under N8N_USER_FOLDER; keep them out of $HOME.
const os = require('os');
const path = require('path');

process.env.N8N_USER_FOLDER = path.join(os.tmpdir(), 'n8n-nodes-braze-webhooks-test');
process.env.N8N_DIAGNOSTICS_ENABLED = 'false';
process.env.N8N_ENCRYPTION_KEY = process.env.N8N_ENCRYPTION_KEY || 'test-only-encryption-key';

// n8n's logger prints every node error it sees, with stack traces, between jest's PASS lines, where
// they read like failures. Tests assert on errors themselves, so it stays silent unless
// N8N_TEST_LOGS=1 asks for it (N8N_LOG_LEVEL then picks the level, info by default).
if (process.env.N8N_TEST_LOGS !== '1') process.env.N8N_LOG_LEVEL = 'silent';
