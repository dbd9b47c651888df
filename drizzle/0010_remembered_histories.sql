CREATE TABLE "console"."remembered_histories" (
	"connection_id" uuid NOT NULL,
	"schema_name" text NOT NULL,
	"database_key" text NOT NULL,
	"log_id" text NOT NULL,
	"table_oid" bigint NOT NULL,
	"changes" text NOT NULL,
	"history" text NOT NULL,
	"remembered_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "remembered_histories_pk" PRIMARY KEY("connection_id","schema_name")
);
--> statement-breakpoint
ALTER TABLE "console"."remembered_histories" ADD CONSTRAINT "remembered_histories_connection_id_connections_id_fk" FOREIGN KEY ("connection_id") REFERENCES "console"."connections"("id") ON DELETE cascade ON UPDATE no action;