import { Component } from "preact";

/** Props of the CopyLink island. */
export interface CopyLinkProps {
  link: string;
  /** What the link is, for the button's accessible name ("invite ABCD-EFGH-JK"). */
  label: string;
}

/** Copies a link to the clipboard; where that is refused, shows the link to copy by hand. */
export default class CopyLink extends Component<CopyLinkProps, { note?: string }> {
  copy = async () => {
    try {
      await navigator.clipboard.writeText(this.props.link);
      this.setState({ note: "Link copied. Send it to the person you vouch for." });
    } catch {
      this.setState({ note: `Copy this link: ${this.props.link}` });
    }
  };

  override render() {
    return (
      <div class="copy-link">
        <button
          type="button"
          class="btn btn--primary btn--block"
          onClick={this.copy}
          aria-label={`Copy the link of ${this.props.label}`}
          data-testid="invite-copy"
        >
          Copy link
        </button>
        <p class="copy-link__note" role="status">{this.state.note}</p>
      </div>
    );
  }
}
