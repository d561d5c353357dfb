import { Component } from "preact";
import { callApi, describeError } from "@/client/api.ts";

/** Redeems the code of the landing page for a verified, not yet admitted member. */
export default class RedeemInvite extends Component<
  { code: string },
  { busy: boolean; error: string | null }
> {
  override state = { busy: false, error: null as string | null };

  redeem = async () => {
    this.setState({ busy: true, error: null });
    try {
      await callApi(
        `/api/invites/${encodeURIComponent(this.props.code)}/redeem`,
        undefined,
        "POST",
      );
      location.assign("/vault");
    } catch (error) {
      this.setState({ busy: false, error: describeError(error) });
    }
  };

  override render() {
    return (
      <div data-testid="redeem">
        <button
          type="button"
          class="btn btn--primary"
          disabled={this.state.busy}
          onClick={this.redeem}
        >
          {this.state.busy ? "Opening the vault…" : "Use the invite and enter"}
        </button>
        {this.state.error ? <p role="alert">{this.state.error}</p> : null}
      </div>
    );
  }
}
