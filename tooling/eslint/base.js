// Shared flat ESLint config for every TypeScript package and app.
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['**/dist/**', '**/node_modules/**', '**/.test-results/**', '**/coverage/**'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      // A bare expect(x) asserts nothing (see STYLE.md): every assertion must call a matcher.
      'no-unused-expressions': 'off',
      '@typescript-eslint/no-unused-expressions': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-console': 'off',
    },
  },
);
