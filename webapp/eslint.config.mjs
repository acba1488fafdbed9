import js from '@eslint/js';
import react from 'eslint-plugin-react';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
    {ignores: ['dist/', 'browser/dist/', 'node_modules/', 'coverage/']},
    js.configs.recommended,
    {
        files: ['**/*.{ts,tsx}'],
        extends: [
            ...tseslint.configs.strictTypeChecked,
            react.configs.flat.recommended,
            reactHooks.configs.flat.recommended,
        ],
        languageOptions: {
            parserOptions: {
                projectService: true,
                tsconfigRootDir: import.meta.dirname,
            },
            globals: globals.browser,
        },
        settings: {react: {version: '18.3'}},
        rules: {
            '@typescript-eslint/consistent-type-imports': 'error',
        },
    },
    {
        files: ['src/**/*.test.{ts,tsx}', 'src/testing/**'],
        languageOptions: {globals: {...globals.browser, ...globals.jest}},
    },
    {
        files: ['*.mjs'],
        languageOptions: {globals: globals.node},
    },
    {
        // The browser check runs in Node and passes functions to the page.
        files: ['browser/*.mjs'],
        languageOptions: {globals: {...globals.node, ...globals.browser}},
    },
);
