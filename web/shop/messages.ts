import { defineMessages } from '../lib/i18n.ts'

export const shopMessages = defineMessages({
  en: {
    brand: 'Edge Tickets',
    home: 'Home',
    myTickets: 'My tickets',
    notFound: 'Page not found',
    homeTitle: 'What’s on',
    shows: 'Shows',
    scenicSites: 'Scenic sites',
    noShows: 'No shows match.',
  },
  'zh-CN': {
    brand: '边缘票务',
    home: '首页',
    myTickets: '我的门票',
    notFound: '页面不存在',
    homeTitle: '近期演出与景区',
    shows: '演出',
    scenicSites: '景区',
    noShows: '没有符合条件的演出。',
  },
})
