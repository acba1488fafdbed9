import path from 'node:path';
import {fileURLToPath} from 'node:url';

const dirname = path.dirname(fileURLToPath(import.meta.url));

// The browser check's host page (browser/host.tsx), a stand-in for the web
// client. Never part of the plugin bundle: it builds to browser/dist.
export default {
    mode: 'development',
    entry: './browser/host.tsx',
    output: {
        path: path.join(dirname, 'browser', 'dist'),
        filename: 'host.js',
        clean: true,
    },
    resolve: {
        extensions: ['.ts', '.tsx', '.js', '.json'],
    },
    module: {
        rules: [
            {
                test: /\.tsx?$/,
                exclude: /node_modules/,
                use: {
                    loader: 'ts-loader',
                    options: {onlyCompileBundledFiles: true, transpileOnly: true},
                },
            },
        ],
    },
    performance: {hints: false},
    devtool: false,
};
