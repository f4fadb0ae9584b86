// The napi-generated declarations of the native addon, seen from this folder: the compiled
// jwt.cjs sits next to index.js, so its `require('./index.js')` is the addon's loader.
export * from '../index.js'
