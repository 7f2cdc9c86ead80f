// One lint config for every package: type-aware rules, size limits from GUIDE §4.11.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import pluginVue from 'eslint-plugin-vue';

export default tseslint.config(
  { ignores: ['**/dist/**', '**/node_modules/**', '**/generated/**', 'data/**', '**/*.d.ts'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  ...pluginVue.configs['flat/recommended'],
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname, extraFileExtensions: ['.vue'] },
    },
    rules: {
      'max-lines': ['error', { max: 300, skipBlankLines: true, skipComments: true }],
      'max-lines-per-function': ['error', { max: 60, skipBlankLines: true, skipComments: true }],
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      // Fastify plugins and handlers are async by contract, with or without an await inside.
      '@typescript-eslint/require-await': 'off',
    },
  },
  {
    // Single-file components: TypeScript in <script setup>, type-aware like every other file.
    files: ['**/*.vue'],
    languageOptions: { parserOptions: { parser: tseslint.parser, extraFileExtensions: ['.vue'] } },
    rules: {
      // Element Plus components are registered globally; one-word page names are routes' names.
      'vue/multi-word-component-names': 'off',
      'vue/max-attributes-per-line': 'off',
      'vue/singleline-html-element-content-newline': 'off',
      'vue/html-self-closing': 'off',
      // Log text and model output are attacker-controlled: never rendered as HTML.
      'vue/no-v-html': 'error',
    },
  },
  {
    // Browser code: the DOM's globals.
    files: ['packages/dashboard/**/*.{ts,vue}'],
    languageOptions: { globals: { window: 'readonly', document: 'readonly', navigator: 'readonly', localStorage: 'readonly', fetch: 'readonly', URLSearchParams: 'readonly', AbortController: 'readonly', DOMException: 'readonly', ResizeObserver: 'readonly', Intl: 'readonly', setTimeout: 'readonly', clearTimeout: 'readonly', console: 'readonly' } },
    rules: {
      // vue-i18n's composer functions (t, te, d, n…) are closures over the composer, never `this`
      // methods, yet its types declare them as methods: `const { t, te } = useI18n()` is safe.
      '@typescript-eslint/unbound-method': 'off',
    },
  },
  {
    // Tests describe many cases inside one describe(); the per-function limit would only split them arbitrarily.
    files: ['**/*.test.ts', 'bench/**/*.ts'],
    rules: {
      'max-lines-per-function': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
    },
  },
  { files: ['**/*.js', '**/*.mjs'], ...tseslint.configs.disableTypeChecked },
  { files: ['**/*.js', '**/*.mjs'], languageOptions: { globals: { process: 'readonly', console: 'readonly' } } },
);
