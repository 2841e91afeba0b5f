from rest_framework import serializers

from apps.core.serializers import DecimalText, decimal_text
from apps.orders import books
from apps.orders.models import Position, Trade


class TradeSerializer(serializers.ModelSerializer):
    """Un Trade tel que le voient l'API et le WebSocket (message `order`)."""

    broker_name = serializers.CharField(source="broker.name", read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    quantity = DecimalText()
    amount = DecimalText()
    percent = DecimalText()
    price = DecimalText()
    filled_quantity = DecimalText()
    average_price = DecimalText()
    fee = DecimalText()
    fee_currency = serializers.CharField(read_only=True)
    refresh_error = serializers.SerializerMethodField()
    stop_loss = DecimalText()
    take_profit = DecimalText()

    class Meta:
        model = Trade
        fields = [
            "id",
            "broker",
            "broker_name",
            "source",
            "symbol",
            "side",
            "type",
            "quantity",
            "amount",
            "percent",
            "price",
            "status",
            "status_label",
            "client_order_id",
            "exchange_order_id",
            "filled_quantity",
            "average_price",
            "fee",
            "fee_currency",
            "fees",
            "stop_loss",
            "take_profit",
            "role",
            "position",
            "error",
            "refresh_error",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    def get_refresh_error(self, trade: Trade) -> str:
        """Erreur de la dernière relecture chez l'exchange (liste des ordres ouverts), vide sinon."""
        return getattr(trade, "refresh_error", "")


class PositionSerializer(serializers.ModelSerializer):
    """Une Position telle que la voient l'API et le WebSocket (message `position`), avec ses Trades."""

    broker_name = serializers.CharField(source="broker.name", read_only=True)
    source_label = serializers.CharField(source="get_source_display", read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    webhook = serializers.IntegerField(source="webhook_id", read_only=True)
    active_strategy = serializers.IntegerField(source="active_strategy_id", read_only=True)
    protection_label = serializers.CharField(source="get_protection_display", read_only=True)
    exit_reason = serializers.SerializerMethodField()
    exit_reason_label = serializers.SerializerMethodField()
    quantity = DecimalText()
    remainder = DecimalText()
    sellable_quantity = serializers.SerializerMethodField()
    entry_price = DecimalText()
    stop_loss = DecimalText()
    take_profit = DecimalText()
    exit_price = DecimalText()
    fees = DecimalText()
    realized_pnl = DecimalText()
    realized_pnl_pct = DecimalText()
    book_label = serializers.SerializerMethodField()
    sold_quantity = serializers.SerializerMethodField()
    trades = TradeSerializer(many=True, read_only=True)

    class Meta:
        model = Position
        fields = [
            "id",
            "broker",
            "broker_name",
            "symbol",
            "source",
            "source_label",
            "book",
            "book_label",
            "webhook",
            "active_strategy",
            "status",
            "status_label",
            "quantity",
            "sellable_quantity",
            "remainder",
            "entry_price",
            "stop_loss",
            "take_profit",
            "protection",
            "protection_label",
            "protection_note",
            "exit_price",
            "exit_reason",
            "exit_reason_label",
            "fees",
            "realized_pnl",
            "realized_pnl_pct",
            "sync_error",
            "external_note",
            "opened_at",
            "closed_at",
            "sold_quantity",
            "trades",
        ]
        read_only_fields = fields

    def get_sellable_quantity(self, position: Position) -> str:
        """Ce que « Clôturer » vend : la quantité détenue sans son reliquat invendable."""
        return decimal_text(position.quantity - position.remainder)

    def get_book_label(self, position: Position) -> str:
        return books.label(position.book)

    def get_sold_quantity(self, position: Position) -> str:
        """Quantité vendue, celle du grand livre (au plus l'achetée) ; celle détenue tant que rien n'est vendu."""
        return decimal_text(position.sold_quantity or position.quantity)

    def get_exit_reason(self, position: Position) -> str | None:
        return position.exit_reason or None

    def get_exit_reason_label(self, position: Position) -> str | None:
        return position.get_exit_reason_display() if position.exit_reason else None


class MarkSerializer(serializers.Serializer):
    """Une position en cours au dernier prix (apps.orders.marks)."""

    id = serializers.IntegerField()
    price = DecimalText()
    value = DecimalText()
    unrealized_pnl = DecimalText()
    unrealized_pnl_pct = DecimalText()
