// ESLint for the Lightning Web Components: Salesforce's recommended LWC rules, plus jest globals
// for the tests beside each component and the jest mocks.
import lwcConfig from '@salesforce/eslint-config-lwc';
import jestPlugin from 'eslint-plugin-jest';
import globals from 'globals';

export default [
  { ignores: ['node_modules/**', 'coverage/**', '.test-results/**'] },
  ...lwcConfig.configs.recommended.map((config) => ({ ...config, files: ['main/**/lwc/**/*.js'] })),
  {
    files: ['**/__tests__/**/*.js', 'test/**/*.js'],
    plugins: { jest: jestPlugin },
    languageOptions: { globals: { ...globals.node, ...globals.jest } },
    rules: {
      ...jestPlugin.configs.recommended.rules,
      'jest/expect-expect': 'error',
      'jest/valid-expect': 'error',
    },
  },
  {
    files: ['eslint.config.js', 'jest.config.js'],
    languageOptions: { globals: globals.node, sourceType: 'module' },
  },
];
