var sucrase = require("sucrase");
globalThis.__bookctl_transform = function (code, filePath, transforms) {
  return sucrase.transform(code, {transforms: transforms, filePath: filePath, production: true,
    keepUnusedImports: false, disableESTransforms: true}).code;
};
globalThis.__bookctl_path = require("path-browserify");
