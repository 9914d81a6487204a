/* The hello-world image's only program (scripts/quickstart.sh builds it with gcc -static when Docker Hub is out
 * of reach), in the spirit of Docker's hello-world: say what just happened, then exit 0. */
#include <stdio.h>

int main(void)
{
    fputs("\n"
          "Hello from Berth!\n"
          "This message shows that your installation appears to be working correctly.\n"
          "\n"
          "To generate this message, Berth took the following steps:\n"
          " 1. The berth client contacted the berthd daemon.\n"
          " 2. The berthd daemon pulled the \"hello-world\" image from the registry.\n"
          " 3. The berthd daemon created a new container from that image, and berth-runtime\n"
          "    started the executable that produced the output you are currently reading.\n"
          " 4. The berthd daemon streamed that output to the berth client, which sent it\n"
          "    to your terminal.\n"
          "\n"
          "To try something more ambitious, run a shell in a container:\n"
          " $ berth run -it IMAGE sh\n"
          "\n"
          "The docker CLI works too, against berthd's socket:\n"
          " $ DOCKER_HOST=unix:///run/berth/berth.sock docker ps -a\n"
          "\n",
          stdout);
    return fflush(stdout) == 0 ? 0 : 1;
}
