// The project resolves modules the node10 way, which ignores package "exports"; graphql-ws
// ships this subpath only through "exports", so its typings are named here by file.
declare module 'graphql-ws/use/ws' {
  export * from 'graphql-ws/dist/use/ws';
}
