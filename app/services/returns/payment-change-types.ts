/** What the CAN-4 endpoints answer (the customer account page imports these types). */
import type { PaymentChangeOffer } from "../../policy/payment-change";
import type { CancelledOrder } from "./portal-types";

export interface PaymentChangeOption {
  orderId: string;
  orderName: string;
  offer: PaymentChangeOffer;
}

export interface PaymentMethodChanged extends CancelledOrder {
  /** The store's cart permalink with the cancelled order's variants and quantities; null if none can be put back. */
  cartUrl: string | null;
  /** INV-3: the items are released and may be bought by someone else first. */
  released: string;
}
