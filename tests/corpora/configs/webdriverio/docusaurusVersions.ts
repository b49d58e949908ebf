const pastVersions = [
    {
        name: 'v9',
        label: 'v9',
        path: 'https://webdriver.io',
        comment: 'Stable',
        repoUrl: 'https://github.com/webdriverio/webdriverio'
    },
    {
        name: 'v8',
        label: 'v8',
        path: 'https://v8.webdriver.io',
        comment: 'until August 2025',
        repoUrl: 'https://github.com/webdriverio/webdriverio'
    },
    {
        name: 'v7',
        label: 'v7',
        path: 'https://v7.webdriver.io',
        comment: 'Deprecated',
        repoUrl: 'https://github.com/webdriverio/webdriverio'
    },
    {
        name: 'v6',
        label: 'v6',
        path: 'https://v6.webdriver.io',
        comment: 'Deprecated since February 2022',
        repoUrl: 'https://github.com/webdriverio/webdriverio'
    },
    {
        name: 'v5',
        label: 'v5',
        path: 'https://v5.webdriver.io',
        comment: 'Deprecated since January 2021',
        repoUrl: 'https://github.com/webdriverio/webdriverio'
    },
    {
        name: 'v4',
        label: 'v4',
        path: 'http://v4.webdriver.io',
        comment: 'Deprecated since December 2019',
        branch: 'master',
        repoUrl: 'https://github.com/webdriverio-boneyard/v4'
    }
]

export default pastVersions
