// The kiosk's texts in the four languages visitors choose from (zh-CN, en, ja, ko). The kiosk keeps its own
// language state (web/lib/i18n.ts knows only zh-CN and en) and goes back to Chinese at every idle reset.
import { useEffect, useState } from 'preact/hooks'

export const kioskLocales = ['zh-CN', 'en', 'ja', 'ko'] as const
export type KioskLocale = (typeof kioskLocales)[number]
export const localeNames: Record<KioskLocale, string> = {
  'zh-CN': '中文',
  en: 'English',
  ja: '日本語',
  ko: '한국어',
}

const en = {
  title: 'Ticket machine',
  loading: 'Starting…',
  enrollHeading: 'Set up this kiosk',
  enrollIntro: 'Type the 8-character kiosk code from the admin console (Kiosks).',
  enrollCode: 'Kiosk code',
  enroll: 'Enroll',
  enrollInvalid: 'This code is unknown, already used or expired. Ask for a new one.',
  start: 'Touch to buy tickets',
  startHint: 'Pay with your phone, and take your printed ticket',
  language: 'Language',
  chooseDate: 'When will you visit?',
  today: 'Today',
  tomorrow: 'Tomorrow',
  chooseTickets: 'Choose your tickets',
  soldOut: 'Sold out',
  left: '{count} left',
  add: 'Add one {name}',
  remove: 'Remove one {name}',
  count: '{count} × {name}',
  chooseSlot: 'Entry time',
  slotLeft: '{start}–{end} · {count} left',
  next: 'Next',
  back: 'Back',
  cancel: 'Start over',
  visitorHeading: 'Visitor {n} of {total}: {ticket}',
  visitorName: 'Name (as on the ID card)',
  visitorId: 'ID number',
  padDelete: 'Delete',
  padClear: 'Clear',
  padSpace: 'Space',
  phoneHeading: 'Mobile number (optional)',
  phoneHint: 'For your order reference. You can skip this.',
  phone: 'Mobile number',
  skip: 'Skip',
  reviewHeading: 'Check your order',
  total: 'Total {amount}',
  pay: 'Pay {amount}',
  holding: 'Reserving your tickets…',
  payHeading: 'Scan to pay with your phone',
  payHint: 'Open the payment page on your phone and pay. This screen moves on by itself.',
  payQr: 'Payment QR code for order {number}',
  payWaiting: 'Waiting for your payment…',
  payExpiresIn: 'Held for you for {minutes} more minutes',
  payFailed: 'The payment did not go through, or time ran out. Nothing was charged.',
  printing: 'Printing your tickets…',
  printed: 'Please take your tickets',
  printedHint: 'Show the QR code at the entrance. Thank you!',
  printAgain: 'Print again',
  ticketQr: 'Ticket QR code',
  ticketsHeading: 'Your tickets',
  done: 'Done',
  ticketFor: '{ticket} · {date}',
  idleHeading: 'Are you still there?',
  idleHint: 'This screen starts over in {seconds} s and forgets what you entered.',
  idleContinue: 'Continue',
  offline: 'No network: sales are paused',
  outOfPaper: 'Out of paper: sales are paused. Please ask staff.',
  errorGeneric: 'Something went wrong. Please try again or ask staff.',
  notEligible: 'This ID number cannot buy this ticket type (age rule).',
  invalidId: 'Please check the ID number.',
  noTickets: 'No tickets on sale for this day.',
} as const

export type MessageKey = keyof typeof en
type Table = Record<MessageKey, string>

const tables: Record<KioskLocale, Table> = {
  en,
  'zh-CN': {
    title: '自助售票机',
    loading: '正在启动…',
    enrollHeading: '设置本机',
    enrollIntro: '请输入管理后台（自助机）给出的 8 位设备码。',
    enrollCode: '设备码',
    enroll: '登记',
    enrollInvalid: '设备码无效、已用过或已过期，请重新获取。',
    start: '点击购票',
    startHint: '手机扫码支付，取走打印的门票',
    language: '语言',
    chooseDate: '您哪天游览？',
    today: '今天',
    tomorrow: '明天',
    chooseTickets: '选择门票',
    soldOut: '已售罄',
    left: '余 {count} 张',
    add: '增加一张{name}',
    remove: '减少一张{name}',
    count: '{count} × {name}',
    chooseSlot: '入园时段',
    slotLeft: '{start}–{end} · 余 {count}',
    next: '下一步',
    back: '返回',
    cancel: '重新开始',
    visitorHeading: '游客 {n}/{total}：{ticket}',
    visitorName: '姓名（与身份证一致）',
    visitorId: '身份证号',
    padDelete: '删除',
    padClear: '清空',
    padSpace: '空格',
    phoneHeading: '手机号（可不填）',
    phoneHint: '用于查询订单，可以跳过。',
    phone: '手机号',
    skip: '跳过',
    reviewHeading: '确认订单',
    total: '合计 {amount}',
    pay: '支付 {amount}',
    holding: '正在为您锁定门票…',
    payHeading: '请用手机扫码支付',
    payHint: '用手机打开支付页面完成支付，本屏幕会自动继续。',
    payQr: '订单 {number} 的支付二维码',
    payWaiting: '等待支付…',
    payExpiresIn: '门票为您保留 {minutes} 分钟',
    payFailed: '支付未成功或已超时，未扣款。',
    printing: '正在打印门票…',
    printed: '请取走您的门票',
    printedHint: '入园时出示门票上的二维码。谢谢！',
    printAgain: '重新打印',
    ticketQr: '门票二维码',
    ticketsHeading: '您的门票',
    done: '完成',
    ticketFor: '{ticket} · {date}',
    idleHeading: '您还在吗？',
    idleHint: '{seconds} 秒后将回到首页并清除您输入的信息。',
    idleContinue: '继续购票',
    offline: '网络中断，暂停售票',
    outOfPaper: '票纸已用完，暂停售票，请联系工作人员。',
    errorGeneric: '出错了，请重试或联系工作人员。',
    notEligible: '该身份证号不符合此票种的年龄要求。',
    invalidId: '请检查身份证号。',
    noTickets: '当天没有可售门票。',
  },
  ja: {
    title: '自動券売機',
    loading: '起動中…',
    enrollHeading: 'この端末の登録',
    enrollIntro: '管理画面（キオスク）の8文字のコードを入力してください。',
    enrollCode: 'キオスクコード',
    enroll: '登録',
    enrollInvalid: 'このコードは無効、使用済み、または期限切れです。',
    start: 'タッチしてチケット購入',
    startHint: 'スマホで支払い、印刷されたチケットをお受け取りください',
    language: '言語',
    chooseDate: 'ご来場日を選んでください',
    today: '今日',
    tomorrow: '明日',
    chooseTickets: 'チケットを選択',
    soldOut: '売り切れ',
    left: '残り {count} 枚',
    add: '{name}を1枚追加',
    remove: '{name}を1枚減らす',
    count: '{count} × {name}',
    chooseSlot: '入場時間',
    slotLeft: '{start}–{end} · 残り {count}',
    next: '次へ',
    back: '戻る',
    cancel: '最初から',
    visitorHeading: '来場者 {n}/{total}：{ticket}',
    visitorName: '氏名（身分証明書どおり）',
    visitorId: '身分証番号',
    padDelete: '削除',
    padClear: 'クリア',
    padSpace: 'スペース',
    phoneHeading: '携帯電話番号（任意）',
    phoneHint: '注文の照会用です。省略できます。',
    phone: '携帯電話番号',
    skip: 'スキップ',
    reviewHeading: 'ご注文の確認',
    total: '合計 {amount}',
    pay: '{amount} を支払う',
    holding: 'チケットを確保しています…',
    payHeading: 'スマホでスキャンして支払い',
    payHint: 'スマホで支払いページを開いて支払ってください。画面は自動で進みます。',
    payQr: '注文 {number} の支払い用QRコード',
    payWaiting: 'お支払いをお待ちしています…',
    payExpiresIn: 'あと {minutes} 分間確保されます',
    payFailed: '支払いが完了しなかったか、時間切れです。請求はありません。',
    printing: 'チケットを印刷しています…',
    printed: 'チケットをお取りください',
    printedHint: '入口でQRコードをご提示ください。ありがとうございました。',
    printAgain: 'もう一度印刷',
    ticketQr: 'チケットのQRコード',
    ticketsHeading: 'お客様のチケット',
    done: '完了',
    ticketFor: '{ticket} · {date}',
    idleHeading: 'ご利用中ですか？',
    idleHint: '{seconds} 秒後に最初の画面に戻り、入力内容は消去されます。',
    idleContinue: '続ける',
    offline: 'ネットワークなし：販売を停止しています',
    outOfPaper: '用紙切れ：販売を停止しています。係員にお知らせください。',
    errorGeneric: 'エラーが発生しました。もう一度お試しいただくか係員にお尋ねください。',
    notEligible: 'この身分証番号ではこの券種を購入できません（年齢条件）。',
    invalidId: '身分証番号をご確認ください。',
    noTickets: 'この日に販売中のチケットはありません。',
  },
  ko: {
    title: '무인 발권기',
    loading: '시작하는 중…',
    enrollHeading: '이 키오스크 등록',
    enrollIntro: '관리 콘솔(키오스크)의 8자리 코드를 입력하세요.',
    enrollCode: '키오스크 코드',
    enroll: '등록',
    enrollInvalid: '코드가 잘못되었거나 이미 사용되었거나 만료되었습니다.',
    start: '터치하여 티켓 구매',
    startHint: '휴대폰으로 결제하고 인쇄된 티켓을 받으세요',
    language: '언어',
    chooseDate: '언제 방문하시나요?',
    today: '오늘',
    tomorrow: '내일',
    chooseTickets: '티켓 선택',
    soldOut: '매진',
    left: '{count}장 남음',
    add: '{name} 1장 추가',
    remove: '{name} 1장 빼기',
    count: '{count} × {name}',
    chooseSlot: '입장 시간',
    slotLeft: '{start}–{end} · {count} 남음',
    next: '다음',
    back: '뒤로',
    cancel: '처음부터',
    visitorHeading: '방문자 {n}/{total}: {ticket}',
    visitorName: '이름(신분증과 동일)',
    visitorId: '신분증 번호',
    padDelete: '삭제',
    padClear: '지우기',
    padSpace: '공백',
    phoneHeading: '휴대폰 번호(선택)',
    phoneHint: '주문 조회용입니다. 건너뛸 수 있습니다.',
    phone: '휴대폰 번호',
    skip: '건너뛰기',
    reviewHeading: '주문 확인',
    total: '합계 {amount}',
    pay: '{amount} 결제',
    holding: '티켓을 확보하는 중…',
    payHeading: '휴대폰으로 스캔하여 결제',
    payHint: '휴대폰에서 결제 페이지를 열어 결제하세요. 화면은 자동으로 넘어갑니다.',
    payQr: '주문 {number} 결제 QR 코드',
    payWaiting: '결제를 기다리는 중…',
    payExpiresIn: '{minutes}분 동안 보관됩니다',
    payFailed: '결제가 완료되지 않았거나 시간이 초과되었습니다. 청구되지 않았습니다.',
    printing: '티켓을 인쇄하는 중…',
    printed: '티켓을 가져가세요',
    printedHint: '입구에서 QR 코드를 보여 주세요. 감사합니다!',
    printAgain: '다시 인쇄',
    ticketQr: '티켓 QR 코드',
    ticketsHeading: '내 티켓',
    done: '완료',
    ticketFor: '{ticket} · {date}',
    idleHeading: '계속 이용하시나요?',
    idleHint: '{seconds}초 후 처음 화면으로 돌아가며 입력한 내용은 지워집니다.',
    idleContinue: '계속',
    offline: '네트워크 없음: 판매 일시 중지',
    outOfPaper: '용지 없음: 판매 일시 중지. 직원에게 문의하세요.',
    errorGeneric: '문제가 발생했습니다. 다시 시도하거나 직원에게 문의하세요.',
    notEligible: '이 신분증 번호로는 이 티켓을 구매할 수 없습니다(연령 조건).',
    invalidId: '신분증 번호를 확인하세요.',
    noTickets: '이 날짜에 판매 중인 티켓이 없습니다.',
  },
}

let current: KioskLocale = 'zh-CN'
const listeners = new Set<(locale: KioskLocale) => void>()

export const kioskLocale = () => current

export function setKioskLocale(locale: KioskLocale) {
  current = locale
  document.documentElement.lang = locale
  for (const listener of listeners) listener(locale)
}

export function useKioskLocale(): KioskLocale {
  const [locale, setState] = useState(current)
  useEffect(() => {
    listeners.add(setState)
    setState(current)
    return () => {
      listeners.delete(setState)
    }
  }, [])
  return locale
}

export type T = (key: MessageKey, params?: Record<string, string | number>) => string

export function useT(): T {
  const locale = useKioskLocale()
  return (key, params) => {
    let text = tables[locale][key] ?? en[key]
    for (const [name, value] of Object.entries(params ?? {}))
      text = text.replaceAll(`{${name}}`, String(value))
    return text
  }
}

/** Money in minor units, as the visitor's language writes it. */
export function money(amount: number, currency: string, locale: KioskLocale) {
  return new Intl.NumberFormat(locale, { style: 'currency', currency }).format(amount / 100)
}

/** A product's or site's name in the visitor's language: Chinese pages the Chinese name, others the English one. */
export const named = (thing: { name: string; nameEn?: string | null }, locale: KioskLocale) =>
  locale === 'zh-CN' ? thing.name : (thing.nameEn ?? thing.name)
