module.exports = {baseUrl: '/', presets: [['classic', {docs: {tagsBasePath: 'labels'}}]]};
