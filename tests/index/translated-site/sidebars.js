module.exports = {docs: ['intro', 'planting', 'watering']};
