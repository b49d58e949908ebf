// A stand-in for ChatKit's web component, served by the test in place of OpenAI's CDN script.
// It records what the page gives it (the options, the custom actions, the messages) in
// window.__chatkitStandIn, and uses the page's own custom fetch the way ChatKit does: one POST
// to api.url per request, JSON body, the locale as Accept-Language.
(() => {
  const record = (window.__chatkitStandIn = {options: [], actions: [], messages: [], requests: []});
  class ChatKitStandIn extends HTMLElement {
    setOptions(options) {
      this.options = options;
      record.options.push({
        apiUrl: options.api.url,
        domainKey: options.api.domainKey,
        hasCustomFetch: typeof options.api.fetch === 'function',
        locale: options.locale,
        historyEnabled: options.history?.enabled ?? null,
        feedback: options.threadItemActions?.feedback ?? null,
        hasOnAction: typeof options.widgets?.onAction === 'function',
      });
      this.textContent = 'ChatKit stand-in';
      this.dispatchEvent(new CustomEvent('chatkit.ready'));
    }
    async post(body) {
      const response = await this.options.api.fetch(this.options.api.url, {
        method: 'POST',
        headers: {'Content-Type': 'application/json', 'Accept-Language': this.options.locale},
        body: JSON.stringify(body),
      });
      record.requests.push({status: response.status, body: await response.text()});
    }
    async sendUserMessage(params) {
      record.messages.push(params);
      const input = {content: [{type: 'input_text', text: params.text ?? ''}], attachments: [], quoted_text: params.reply ?? null, inference_options: {}};
      await this.post({type: 'threads.create', params: {input}});
      this.threadId = 'thr_standin';
      this.dispatchEvent(new CustomEvent('chatkit.thread.change', {detail: {threadId: this.threadId}}));
    }
    async sendCustomAction(action, itemId) {
      record.actions.push({action, itemId: itemId ?? null});
      await this.post({type: 'threads.custom_action', params: {thread_id: this.threadId, item_id: itemId ?? null, action}});
    }
    async setThreadId(threadId) {
      this.threadId = threadId;
    }
    async focusComposer() {}
    async setComposerValue() {}
    async fetchUpdates() {}
    async showHistory() {}
    async hideHistory() {}
  }
  customElements.define('openai-chatkit', ChatKitStandIn);
})();
