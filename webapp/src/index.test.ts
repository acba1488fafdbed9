import Plugin from './plugin';

describe('bundle entry point', () => {
    it('registers a Plugin instance under the id from plugin.json', async () => {
        const registerPlugin = jest.fn();
        window.registerPlugin = registerPlugin;

        await import('./index');

        expect(registerPlugin).toHaveBeenCalledTimes(1);
        expect(registerPlugin).toHaveBeenCalledWith('com.mattermost.responsible-disclosure', expect.any(Plugin));
    });
});
