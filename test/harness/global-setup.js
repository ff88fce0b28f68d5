const fs = require('fs');
const os = require('os');
const path = require('path');

module.exports = async () => {
	fs.mkdirSync(path.join(os.tmpdir(), 'n8n-nodes-braze-webhooks-test'), { recursive: true });
};
