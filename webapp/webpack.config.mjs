import path from 'node:path';
import {fileURLToPath} from 'node:url';

const dirname = path.dirname(fileURLToPath(import.meta.url));

// The Mattermost web client exposes these libraries as globals; a plugin must
// use the host's copies (one React per page) instead of bundling its own.
const hostExternals = {
    react: 'React',
    'react-dom': 'ReactDOM',
    redux: 'Redux',
    'react-redux': 'ReactRedux',
    'prop-types': 'PropTypes',
    'react-bootstrap': 'ReactBootstrap',
    'react-router-dom': 'ReactRouterDom',
};

export default {
    mode: 'production',
    entry: './src/index.ts',
    output: {
        path: path.join(dirname, 'dist'),
        filename: 'main.js',
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
                    options: {onlyCompileBundledFiles: true},
                },
            },
        ],
    },
    externals: hostExternals,
    performance: {hints: false},
    devtool: false,
};
