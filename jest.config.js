/** @type {import('jest').Config} */
module.exports = {
	testEnvironment: 'node',
	roots: ['<rootDir>/test'],
	testMatch: ['**/*.test.ts'],
	transform: { '^.+\\.ts$': ['@swc/jest', { jsc: { target: 'es2022', parser: { syntax: 'typescript' } } }] },
	// n8n-core keeps its instance settings under N8N_USER_FOLDER; tests give it a throwaway one.
	globalSetup: '<rootDir>/test/harness/global-setup.js',
	setupFiles: ['<rootDir>/test/harness/setup-env.js'],
	testTimeout: 60000,
	maxWorkers: 2,
};
