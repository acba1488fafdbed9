// Globals the Mattermost web client defines for plugin bundles.
interface Window {
    registerPlugin(id: string, plugin: unknown): void;

    // The path Mattermost is served under ('' or e.g. '/chat'), set by the host.
    basename?: string;
}
