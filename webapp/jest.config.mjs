/** @type {import('jest').Config} */
export default {
    testEnvironment: 'jsdom',
    roots: ['<rootDir>/src'],
    setupFilesAfterEnv: ['<rootDir>/src/testing/setup.ts'],
    transform: {
        '^.+\\.tsx?$': ['ts-jest', {tsconfig: '<rootDir>/tsconfig.json'}],

        // mattermost-redux requires serialize-error, which ships only as ES
        // modules; compile it to CommonJS for Jest (Node 20 cannot require ESM).
        '/node_modules/serialize-error/.+\\.js$': ['ts-jest', {tsconfig: {allowJs: true}, isolatedModules: true}],
    },
    transformIgnorePatterns: ['/node_modules/(?!serialize-error/)'],
    clearMocks: true,
    restoreMocks: true,
};
