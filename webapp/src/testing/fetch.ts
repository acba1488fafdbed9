// A stand-in for window.fetch that answers by method and path, records every
// call, and can fail like the network does.

export interface Call {
    method: string;
    url: string;
    path: string;
    headers: Record<string, string>;
    credentials?: RequestCredentials;
    body: unknown;
}

export interface Reply {
    status?: number;
    json?: unknown;
    text?: string;
    networkError?: boolean;
}

type Route = (call: Call) => Reply | undefined;

export class FakeServer {
    public readonly calls: Call[] = [];
    private readonly routes: {method: string; path: string | RegExp; reply: Reply | Route}[] = [];

    // on answers method + path (the URL's path, or a RegExp over path and
    // query) with a reply, or a function of the call. Later routes win.
    public on(method: string, path: string | RegExp, reply: Reply | Route): this {
        this.routes.unshift({method, path, reply});
        return this;
    }

    public install(): jest.SpyInstance {
        const fetchMock = jest.fn((input: RequestInfo | URL, init?: RequestInit) => this.handle(input instanceof URL ? input.href : typeof input === 'string' ? input : input.url, init ?? {}));
        Object.defineProperty(window, 'fetch', {value: fetchMock, writable: true, configurable: true});
        return jest.spyOn(window, 'fetch');
    }

    public callsTo(method: string, pathPrefix: string): Call[] {
        return this.calls.filter((c) => c.method === method && c.path.startsWith(pathPrefix));
    }

    private handle(url: string, init: RequestInit): Promise<Response> {
        const u = new URL(url);
        const call: Call = {
            method: init.method ?? 'GET',
            url,
            path: u.pathname,
            headers: {...(init.headers as Record<string, string> | undefined)},
            credentials: init.credentials,
            body: typeof init.body === 'string' ? JSON.parse(init.body) as unknown : undefined,
        };
        this.calls.push(call);
        const route = this.routes.find((r) => r.method === call.method &&
            (typeof r.path === 'string' ? r.path === call.path : r.path.test(call.path + u.search)));
        const reply = route ? (typeof route.reply === 'function' ? route.reply(call) : route.reply) : {status: 404, json: {error: 'not_found', message: 'No route in the fake server.'}};
        if (!reply || reply.networkError) {
            return Promise.reject(new TypeError('Failed to fetch'));
        }
        const status = reply.status ?? 200;
        const text = reply.text ?? (reply.json === undefined ? '' : JSON.stringify(reply.json));
        return Promise.resolve({
            ok: status >= 200 && status < 300,
            status,
            text: () => Promise.resolve(text),
        } as Response);
    }
}
