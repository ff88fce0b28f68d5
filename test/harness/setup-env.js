// n8n-core writes its instance settings (encryption key) under N8N_USER_FOLDER; keep them out of $HOME.
const os = require('os');
const path = require('path');

process.env.N8N_USER_FOLDER = path.join(os.tmpdir(), 'n8n-nodes-braze-webhooks-test');
process.env.N8N_DIAGNOSTICS_ENABLED = 'false';
process.env.N8N_ENCRYPTION_KEY = process.env.N8N_ENCRYPTION_KEY || 'test-only-encryption-key';
